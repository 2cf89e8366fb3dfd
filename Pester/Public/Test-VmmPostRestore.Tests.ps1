BeforeAll {
    Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Support/VmmTestKit.psm1') -Force
    Import-VmmTestModule
    $ids = @('post-restore.alwayson', 'post-restore.wap', 'post-restore.consoles', 'post-restore.vm-templates', 'post-restore.hrm-provider', 'post-restore.addins', 'post-restore.driver-packages', 'post-restore.certificates')
    $procedures = InModuleScope VmmBackup { (Get-VmmProcedureData).Procedures }
}

AfterAll { Remove-VmmTestModule }

Describe 'Test-VmmPostRestore' {
    BeforeEach {
        Reset-VmmStub
        Set-VmmStubBehavior Get-SCVMTemplate {
            New-VmmStubObject Template @{ Name = 'Good' }
            New-VmmStubObject Template @{ Name = "No disk's ]" }
            New-VmmStubObject Template @{ Name = 'No OS' }
            New-VmmStubObject Template @{ Name = 'Disk gone' }
        }
        Set-VmmStubBehavior Get-SCVirtualHardDisk {
            param($Call)
            switch ($Call.BoundParameters['VMTemplate'].Name) {
                'Good' { New-VmmStubObject VirtualHardDisk @{ Name = 'w2016.vhdx'; State = 'Normal'; OperatingSystem = 'Windows Server 2016 Datacenter' } }
                'No OS' { New-VmmStubObject VirtualHardDisk @{ Name = 'data.vhdx'; State = 'Normal'; OperatingSystem = 'None' } }
                'Disk gone' { New-VmmStubObject VirtualHardDisk @{ Name = 'w2012.vhdx'; State = 'Missing'; OperatingSystem = 'Windows Server 2012 R2' } }
            }
        }
        Set-VmmStubBehavior Get-SCDriverPackage {
            New-VmmStubObject DriverPackage @{ Name = 'nic.inf'; State = 'Normal' }
            New-VmmStubObject DriverPackage @{ Name = 'raid.inf'; State = 'Missing' }
        }
        Set-VmmStubBehavior Get-SCVirtualMachine { New-TestVM 'web01' 'hv01' -Extra @{ ReplicationStatus = 'Replicating'; IsRecoveryVM = $false } }
        Set-VmmStubBehavior Get-SCVMHost { New-TestHost 'hv01'; New-TestHost 'hv02' }
    }

    It 'returns one result per post-restore check of the specification, in order, with the checklist as fix' {
        $results = @(Test-VmmPostRestore -VMMServer vmm01)
        $results.Id | Should -Be $ids
        foreach ($result in $results) {
            { Assert-VmmOutputSchema $result 'Test-VmmPostRestore' } | Should -Not -Throw
            $procedure = $procedures | Where-Object { $_.Id -eq $result.Id }
            $result.Check | Should -Be $procedure.Title
            if ($result.State -in 'Fail', 'ActionRequired') {
                foreach ($step in $procedure.Instructions) { $result.Fix | Should -Match ([regex]::Escape($step)) }
                $result.Fix | Should -Match '^1\. '
            }
        }
        @($results.State) | Should -Be @('ActionRequired', 'ActionRequired', 'ActionRequired', 'Fail', 'ActionRequired', 'ActionRequired', 'Fail', 'ActionRequired')
    }

    It 'names the VM templates whose operating-system disk is missing or wrong' {
        $templates = Test-VmmPostRestore -VMMServer vmm01 | Where-Object Id -EQ 'post-restore.vm-templates'
        $templates.Detail | Should -Match '3 of 4'
        $templates.Detail | Should -Match ([regex]::Escape("No disk's ] (no virtual hard disk)"))
        $templates.Detail | Should -Match 'No OS \(no virtual hard disk with an operating system\)'
        $templates.Detail | Should -Match 'Disk gone \(its virtual hard disk is missing'
        $templates.Detail | Should -Not -Match 'Good'
        $calls = @(Get-VmmStubCall -CommandName Get-SCVirtualHardDisk)
        $calls.Count | Should -Be 4
        $calls | ForEach-Object { $_.ParameterSetName | Should -Be 'Template' }
    }

    It 'names the driver packages that were not discovered, and the hosts whose certificates to review' {
        $results = @(Test-VmmPostRestore -VMMServer vmm01)
        ($results | Where-Object Id -EQ 'post-restore.driver-packages').Detail | Should -Match '1 of 2.*raid\.inf'
        ($results | Where-Object Id -EQ 'post-restore.certificates').Detail | Should -Match 'hv01, hv02'
        ($results | Where-Object Id -EQ 'post-restore.hrm-provider').Detail | Should -Match '1 virtual machine'
    }

    It 'passes the checks VMM can answer when all is well, and marks what does not apply' {
        Set-VmmStubBehavior Get-SCVMTemplate { New-VmmStubObject Template @{ Name = 'Good' } }
        Set-VmmStubBehavior Get-SCDriverPackage { }
        Set-VmmStubBehavior Get-SCVirtualMachine { New-TestVM 'web01' 'hv01' -Extra @{ ReplicationStatus = 'NotEnabled'; IsRecoveryVM = $false } }
        Set-VmmStubBehavior Get-SCVMHost { }
        $results = @(Test-VmmPostRestore -VMMServer vmm01)
        ($results | Where-Object Id -EQ 'post-restore.vm-templates').State | Should -Be 'Pass'
        ($results | Where-Object Id -EQ 'post-restore.vm-templates').Fix | Should -BeNullOrEmpty
        ($results | Where-Object Id -EQ 'post-restore.driver-packages').State | Should -Be 'NotApplicable'
        ($results | Where-Object Id -EQ 'post-restore.hrm-provider').State | Should -Be 'NotApplicable'
        ($results | Where-Object Id -EQ 'post-restore.certificates').State | Should -Be 'NotApplicable'
    }

    It 'reports a check VMM cannot answer as Fail with the error and the fix, and runs the others' {
        Set-VmmStubBehavior Get-SCDriverPackage { throw 'The library server is offline.' }
        $results = @(Test-VmmPostRestore -VMMServer vmm01)
        $results.Count | Should -Be 8
        $drivers = $results | Where-Object Id -EQ 'post-restore.driver-packages'
        $drivers.State | Should -Be 'Fail'
        $drivers.Detail | Should -Match 'library server is offline'
        $drivers.Fix | Should -Not -BeNullOrEmpty
    }

    It 'fails clearly when the VMM server does not answer' {
        Set-VmmStubBehavior Get-SCVMMServer { throw 'Connection refused.' }
        { Test-VmmPostRestore -VMMServer 'vmm01' } | Should -Throw "*Cannot connect to the VMM management server 'vmm01'*"
    }
}

Describe 'Test-VmmPostRestore: AlwaysOn availability group of the VMM database (SQL Server double)' {
    BeforeAll {
        Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Support/TdsDouble.psm1') -Force
        $password = 'Test-Only-' + [guid]::NewGuid().ToString('N').Substring(0, 12)
        $double = Start-TdsDouble -Rules @() -Password $password
        $sqlCredential = New-Object System.Management.Automation.PSCredential -ArgumentList 'sa', (ConvertTo-SecureString -String $password -AsPlainText -Force)
        $sqlServer = "127.0.0.1,$($double.Port)"
        $database = "VMM's ];DB"
        function Set-Answer {
            param($DatabaseCount, $GroupCount, $GroupName)
            Set-TdsDoubleRule -Double $double -Rules @(@{
                    match      = '^SELECT CAST\(\(SELECT COUNT\(\*\) FROM sys\.databases WHERE name = @database\) AS int\) AS DatabaseCount'
                    resultSets = @(@{
                            columns = @(@{ name = 'DatabaseCount'; type = 'int' }, @{ name = 'GroupCount'; type = 'int' }, @{ name = 'GroupName'; type = 'nvarchar(128)' })
                            rows    = @(, @($DatabaseCount, $GroupCount, $GroupName))
                        })
                })
        }
        function Get-AlwaysOn {
            param([string] $Server = $sqlServer)
            Test-VmmPostRestore -VMMServer vmm01 -SqlServer $Server -Database $database -SqlCredential $sqlCredential | Where-Object Id -EQ 'post-restore.alwayson'
        }
    }
    AfterAll { Stop-TdsDouble -Double $double }
    BeforeEach { Reset-VmmStub }

    It 'passes when the database is in an availability group, sending its name as a parameter' {
        Set-Answer 1 2 'AG-VMM'
        $check = Get-AlwaysOn
        { Assert-VmmOutputSchema $check 'Test-VmmPostRestore' } | Should -Not -Throw
        $check.State | Should -Be 'Pass'
        $check.Detail | Should -Match "availability group 'AG-VMM'"
        $check.Fix | Should -BeNullOrEmpty
        $statement = @(Get-TdsDoubleLog -Double $double | Where-Object { $_.kind -eq 'rpc' })[-1]
        $statement.sql | Should -Not -Match 'VMM'
        @($statement.parameters | Where-Object name -EQ '@database').value | Should -Be $database
    }

    It 'is not applicable when the instance has no availability group' {
        Set-Answer 1 0 $null
        (Get-AlwaysOn).State | Should -Be 'NotApplicable'
    }

    It 'asks to add the database again when the instance has groups but the database is in none' {
        Set-Answer 1 1 $null
        $check = Get-AlwaysOn
        $check.State | Should -Be 'ActionRequired'
        $check.Fix | Should -Match 'ALTER AVAILABILITY GROUP'
    }

    It 'fails when the database does not exist on the instance' {
        Set-Answer 0 1 $null
        $check = Get-AlwaysOn
        $check.State | Should -Be 'Fail'
        $check.Detail | Should -Match 'has no database'
    }

    It 'fails with the reason when SQL Server refuses the query, and still runs the other checks' {
        Set-TdsDoubleRule -Double $double -Rules @(@{ match = '^SELECT CAST'; error = @{ number = 229; message = 'The SELECT permission was denied on the object availability_groups.' } })
        $results = @(Test-VmmPostRestore -VMMServer vmm01 -SqlServer $sqlServer -Database $database -SqlCredential $sqlCredential)
        $results.Count | Should -Be 8
        $check = $results | Where-Object Id -EQ 'post-restore.alwayson'
        $check.State | Should -Be 'Fail'
        $check.Detail | Should -Match 'Could not check.*SELECT permission was denied'
        ($results | Out-String).Contains($password) | Should -BeFalse
    }
}
