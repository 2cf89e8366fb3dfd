<#
    The generated VMM stubs (generated/stubs/VirtualMachineManager, emitted from src/model/reference/vmm-cmdlets.json
    by src/emit/vmm-stubs.ts) accept what the real cmdlets accept and reject what they reject, record every call,
    and run the behaviour a test scripts. $env:VMM_STUB_ROOT may name another output root holding stubs/.
    Missing mandatory parameters fail only without a prompt: run under pwsh -NonInteractive (scripts/pester.sh).
#>

BeforeDiscovery {
    $repoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    $reference = Get-Content -Raw -Path (Join-Path $repoRoot 'src/model/reference/vmm-cmdlets.json') | ConvertFrom-Json
    $cmdletCases = foreach ($property in $reference.cmdlets.PSObject.Properties) {
        @{ Name = $property.Name; Cmdlet = $property.Value }
    }
}

BeforeAll {
    $repoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    $outRoot = Join-Path $repoRoot 'generated'
    if ($env:VMM_STUB_ROOT) { $outRoot = $env:VMM_STUB_ROOT }
    $manifest = Join-Path $outRoot 'stubs/VirtualMachineManager/VirtualMachineManager.psd1'
    Get-Module VirtualMachineManager | Remove-Module -Force
    Import-Module $manifest -Force -ErrorAction Stop

    $password = ConvertTo-SecureString -String 'not-a-secret' -AsPlainText -Force
    $psCredential = New-Object System.Management.Automation.PSCredential -ArgumentList 'CONTOSO\svc-vmm', $password
}

AfterAll {
    Get-Module VirtualMachineManager | Remove-Module -Force
}

Describe 'VMM stubs match the published signatures: <Name>' -ForEach $cmdletCases {
    It 'has the published parameter sets, parameters, aliases and ShouldProcess support' {
        $command = Get-Command -Name $Name -Module VirtualMachineManager -ErrorAction Stop
        $common = @([System.Management.Automation.PSCmdlet]::CommonParameters) + @([System.Management.Automation.PSCmdlet]::OptionalCommonParameters)

        @($command.ParameterSets.Name | Sort-Object) | Should -Be @($Cmdlet.parameterSets.PSObject.Properties.Name | Sort-Object)
        $command.Parameters.ContainsKey('WhatIf') | Should -Be ([bool]$Cmdlet.supportsShouldProcess)
        if ($Cmdlet.defaultParameterSet -and $Cmdlet.defaultParameterSet -ne '__AllParameterSets') {
            $command.DefaultParameterSet | Should -Be $Cmdlet.defaultParameterSet
        }
        $own = @($command.Parameters.Keys | Where-Object { $common -notcontains $_ } | Sort-Object)
        $own | Should -Be @($Cmdlet.parameters.PSObject.Properties.Name | Sort-Object)
        foreach ($p in $Cmdlet.parameters.PSObject.Properties) {
            @($command.Parameters[$p.Name].Aliases | Sort-Object) | Should -Be @($p.Value.aliases | Sort-Object) -Because "aliases of -$($p.Name)"
        }
        foreach ($setProperty in $Cmdlet.parameterSets.PSObject.Properties) {
            $set = $command.ParameterSets | Where-Object Name -EQ $setProperty.Name
            foreach ($published in $setProperty.Value.parameters) {
                $actual = $set.Parameters | Where-Object Name -EQ $published.name
                $because = "-$($published.name) in set $($setProperty.Name)"
                $actual | Should -Not -BeNullOrEmpty -Because $because
                $actual.IsMandatory | Should -Be ([bool]$published.mandatory) -Because $because
                $expectedPosition = -2147483648
                if ($null -ne $published.position) { $expectedPosition = [int]$published.position }
                $actual.Position | Should -Be $expectedPosition -Because $because
                $actual.ValueFromPipeline | Should -Be (@($published.pipeline) -contains 'ByValue') -Because $because
                $actual.ValueFromPipelineByPropertyName | Should -Be (@($published.pipeline) -contains 'ByPropertyName') -Because $because
            }
        }
    }
}

Describe 'VMM stubs reject what the real cmdlets reject' {
    BeforeEach { Reset-VmmStub }

    It '<Case> fails with <ErrorId> and records nothing' -ForEach @(
        @{ Case = 'unknown parameter'; ErrorId = 'NamedParameterNotFound,Backup-SCVMMServer'; Call = { Backup-SCVMMServer -Path 'D:\Backup' -Destination 'E:\' } }
        @{ Case = '-WhatIf on a cmdlet without ShouldProcess'; ErrorId = 'NamedParameterNotFound,Backup-SCVMMServer'; Call = { Backup-SCVMMServer -Path 'D:\Backup' -WhatIf } }
        @{ Case = 'parameter of another cmdlet'; ErrorId = 'NamedParameterNotFound,Get-SCVMHost'; Call = { Get-SCVMHost -Name 'host01' } }
        @{ Case = 'unknown parameter on a ShouldProcess cmdlet'; ErrorId = 'NamedParameterNotFound,Remove-SCVirtualMachine'; Call = { Remove-SCVirtualMachine -VM (New-VmmStubObject VM @{ Name = 'vm01' }) -Recurse } }
        @{ Case = 'missing mandatory -Path'; ErrorId = 'MissingMandatoryParameter,Backup-SCVMMServer'; Call = { Backup-SCVMMServer } }
        @{ Case = 'missing mandatory -ComputerName'; ErrorId = 'MissingMandatoryParameter,Get-SCVMMServer'; Call = { Get-SCVMMServer -TCPPort 8100 } }
        @{ Case = 'missing mandatory -Credential'; ErrorId = 'MissingMandatoryParameter,Register-SCVMMManagedComputer'; Call = { Register-SCVMMManagedComputer -VMMManagedComputer (New-VmmStubObject VMMManagedComputer @{ Name = 'lib01' }) } }
        @{ Case = 'missing mandatory parameters of the chosen set'; ErrorId = 'MissingMandatoryParameter,Add-SCVMHost'; Call = { Add-SCVMHost 'h1' -PerimeterNetworkHost } }
        @{ Case = 'sets mixed (-All with -Newest)'; ErrorId = 'AmbiguousParameterSet,Get-SCJob'; Call = { Get-SCJob -All -Newest 5 } }
        @{ Case = 'sets mixed (-Force with -Credential)'; ErrorId = 'AmbiguousParameterSet,Remove-SCVMHost'; Call = { Remove-SCVMHost -VMHost (New-VmmStubObject Host @{ Name = 'h1' }) -Force -Credential $psCredential } }
        @{ Case = 'sets mixed (-VMHost with -Cloud)'; ErrorId = 'AmbiguousParameterSet,Get-SCVirtualMachine'; Call = { Get-SCVirtualMachine -VMHost (New-VmmStubObject Host @{ Name = 'h1' }) -Cloud (New-VmmStubObject Cloud @{ Name = 'gold' }) } }
        @{ Case = 'sets mixed (-HyperConvergedStorageArray with -Name)'; ErrorId = 'AmbiguousParameterSet,Get-SCVMHostCluster'; Call = { Get-SCVMHostCluster -HyperConvergedStorageArray (New-VmmStubObject StorageArray @{ Name = 's1' }) -Name 'c1' } }
        @{ Case = 'a positional argument where the parameter is named'; ErrorId = 'PositionalParameterNotFound,Backup-SCVMMServer'; Call = { Backup-SCVMMServer 'D:\Backup' } }
        @{ Case = 'a string for a VMM object'; ErrorId = 'MismatchedPSTypeName,Read-SCVMHost'; Call = { Read-SCVMHost -VMHost 'host01' } }
        @{ Case = 'a host where a connection goes'; ErrorId = 'MismatchedPSTypeName,Backup-SCVMMServer'; Call = { Backup-SCVMMServer -Path 'D:\Backup' -VMMServer (New-VmmStubObject Host @{ Name = 'h1' }) } }
        @{ Case = 'a string for a VMM credential'; ErrorId = 'ParameterArgumentValidationError,Add-SCLibraryServer'; Call = { Add-SCLibraryServer -ComputerName 'lib01' -Credential 'CONTOSO\svc' } }
        @{ Case = 'a non-number for an Int32'; ErrorId = 'ParameterArgumentTransformationError,Get-SCVMMServer'; Call = { Get-SCVMMServer -ComputerName 'vmm01' -TCPPort 'eighty' } }
        @{ Case = 'a VM piped to Read-SCVMHost'; ErrorId = 'InputObjectNotBound,Read-SCVMHost'; Call = { New-VmmStubObject VM @{ Name = 'vm01' } | Read-SCVMHost -ErrorAction Stop } }
    ) {
        { & $Call } | Should -Throw -ErrorId $ErrorId
        @(Get-VmmStubCall).Count | Should -Be 0
    }
}

Describe 'VMM stubs accept what the real cmdlets accept and record it' {
    BeforeEach { Reset-VmmStub }

    It '<Case> binds set <Set>' -ForEach @(
        @{ Case = 'Get-SCVMMServer by position'; Set = '__AllParameterSets'; Bound = @{ ComputerName = 'vmm01' }; Call = { Get-SCVMMServer 'vmm01' } }
        @{ Case = 'an alias (-Port)'; Set = '__AllParameterSets'; Bound = @{ ComputerName = 'vmm01'; TCPPort = 8101 }; Call = { Get-SCVMMServer -ComputerName 'vmm01' -Port 8101 } }
        @{ Case = 'Get-SCJob with no parameters'; Set = 'NewestJobs'; Bound = @{}; Call = { Get-SCJob } }
        @{ Case = 'Get-SCJob -All'; Set = 'AllJobs'; Bound = @{ All = $true }; Call = { Get-SCJob -All } }
        @{ Case = 'Get-SCJob -Running'; Set = 'RunningJobs'; Bound = @{ Running = $true }; Call = { Get-SCJob -Running } }
        @{ Case = 'Remove-SCVMHost -Force'; Set = 'ForceRemoval'; Bound = @{ VMHost = 'h1'; Force = $true }; Call = { Remove-SCVMHost (New-VmmStubObject Host @{ Name = 'h1' }) -Force -Confirm:$false } }
        @{ Case = 'Remove-SCVMHost -Credential'; Set = 'NormalRemoval'; Bound = @{ VMHost = 'h1'; Credential = 'CONTOSO\svc-vmm' }; Call = { Remove-SCVMHost -VMHost (New-VmmStubObject Host @{ Name = 'h1' }) -Credential $psCredential } }
        @{ Case = 'Add-SCVMHost to a cluster'; Set = 'Clustered'; Bound = @{ ComputerName = 'h2'; VMHostCluster = 'c1'; Credential = 'ra' }; Call = { Add-SCVMHost 'h2' -VMHostCluster (New-VmmStubObject HostCluster @{ Name = 'c1' }) -Credential (New-VmmStubObject RunAsAccount @{ Name = 'ra' }) } }
        @{ Case = 'Add-SCVMHost with defaults'; Set = 'DomainJoined'; Bound = @{ ComputerName = 'h2'; Credential = 'ra' }; Call = { Add-SCVMHost -ComputerName 'h2' -Credential (New-VmmStubObject RunAsAccount @{ Name = 'ra' }) } }
        @{ Case = 'Get-SCVMHostCluster -HyperConvergedStorageArray'; Set = 'AssociatedWithStorageArray'; Bound = @{ HyperConvergedStorageArray = 's1' }; Call = { Get-SCVMHostCluster -HyperConvergedStorageArray (New-VmmStubObject StorageArray @{ Name = 's1' }) } }
        @{ Case = 'Get-SCVMHostCluster -ID (the default set wins a tie)'; Set = 'Connection'; Bound = @{ ID = '00000000-0000-0000-0000-000000000001' }; Call = { Get-SCVMHostCluster -ID '00000000-0000-0000-0000-000000000001' } }
        @{ Case = 'Set-SCVMTemplate -Name'; Set = 'SingleVM'; Bound = @{ VMTemplate = 't1'; Name = 'new' }; Call = { Set-SCVMTemplate -Template (New-VmmStubObject Template @{ Name = 't1' }) -Name 'new' } }
    ) {
        & $Call | Out-Null
        $calls = @(Get-VmmStubCall)
        $calls.Count | Should -Be 1
        $calls[0].ParameterSetName | Should -Be $Set
        $calls[0].WhatIf | Should -BeFalse
        @($calls[0].BoundParameters.Keys | Sort-Object) | Should -Be @($Bound.Keys | Sort-Object)
        foreach ($key in $Bound.Keys) {
            $value = $calls[0].BoundParameters[$key]
            if ($value -is [System.Management.Automation.PSCredential]) { $value = $value.UserName }
            elseif ($null -ne $value.PSObject.Properties['Name']) { $value = $value.Name }
            "$value" | Should -Be "$($Bound[$key])" -Because "-$key"
        }
    }

    It 'returns a ServerConnection from Get-SCVMMServer by default' {
        $server = Get-SCVMMServer -ComputerName 'vmm01'
        $server.PSObject.TypeNames | Should -Contain 'VmmStub.ServerConnection'
        $server.Name | Should -Be 'vmm01'
        $server.FullyQualifiedDomainName | Should -Be 'vmm01.vmmstub.test'
        (Get-SCVMMServer -ComputerName 'vmm02.contoso.com').FullyQualifiedDomainName | Should -Be 'vmm02.contoso.com'
    }

    It 'returns nothing from other cmdlets by default' {
        Get-SCVMHost | Should -BeNullOrEmpty
        Backup-SCVMMServer -Path 'D:\Backup' | Should -BeNullOrEmpty
        @(Get-VmmStubCall).Count | Should -Be 2
    }
}

Describe 'VMM stubs bind pipeline input like the real cmdlets' {
    BeforeEach { Reset-VmmStub }

    It 'Get-SCVMMServer vmm01 | Backup-SCVMMServer -Path D:\Backup passes the connection' {
        Get-SCVMMServer vmm01 | Backup-SCVMMServer -Path D:\Backup
        $call = Get-VmmStubCall -CommandName Backup-SCVMMServer
        @($call).Count | Should -Be 1
        $call.BoundParameters['Path'] | Should -Be 'D:\Backup'
        $call.BoundParameters['VMMServer'].Name | Should -Be 'vmm01'
    }

    It 'binds each object to the parameter of its type when several take objects by value' {
        $objects = @(
            (New-VmmStubObject Host @{ Name = 'h1' }),
            (New-VmmStubObject ServerConnection @{ Name = 'vmm01' }),
            (New-VmmStubObject Cloud @{ Name = 'gold' })
        )
        $objects | Get-SCVirtualMachine
        $calls = @(Get-VmmStubCall -CommandName Get-SCVirtualMachine)
        $calls.ParameterSetName | Should -Be @('VMHostGroup', 'All', 'Cloud')
        @($calls[0].BoundParameters.Keys) | Should -Be @('VMHost')
        @($calls[1].BoundParameters.Keys) | Should -Be @('VMMServer')
        @($calls[2].BoundParameters.Keys) | Should -Be @('Cloud')
        $calls[2].BoundParameters['Cloud'].Name | Should -Be 'gold'
    }

    It 'records one call per piped object' {
        'h1', 'h2', 'h3' | ForEach-Object { New-VmmStubObject Host @{ Name = $_ } } | Read-SCVMHost
        @(Get-VmmStubCall -CommandName Read-SCVMHost | ForEach-Object { $_.BoundParameters['VMHost'].Name }) | Should -Be @('h1', 'h2', 'h3')
    }

    It 'binds a piped managed computer, not the credential taken by value too' {
        New-VmmStubObject VMMManagedComputer @{ Name = 'lib01' } |
            Register-SCVMMManagedComputer -Credential (New-VmmStubObject RunAsAccount @{ Name = 'ra' })
        $call = Get-VmmStubCall -CommandName Register-SCVMMManagedComputer
        $call.BoundParameters['VMMManagedComputer'].Name | Should -Be 'lib01'
        $call.BoundParameters['Credential'].Name | Should -Be 'ra'
    }

    It 'binds a piped computer name to -ComputerName and a piped connection to -VMMServer' {
        'lib02' | Add-SCLibraryServer -Credential $psCredential
        (Get-SCVMMServer vmm01) | Add-SCLibraryServer -ComputerName 'lib03' -Credential $psCredential
        $calls = @(Get-VmmStubCall -CommandName Add-SCLibraryServer)
        $calls[0].BoundParameters['ComputerName'] | Should -Be 'lib02'
        $calls[0].BoundParameters.Contains('VMMServer') | Should -BeFalse
        $calls[1].BoundParameters['VMMServer'].Name | Should -Be 'vmm01'
        $calls[1].BoundParameters['ComputerName'] | Should -Be 'lib03'
    }
}

Describe 'VMM stubs honour -WhatIf' {
    BeforeEach {
        Reset-VmmStub
        $script:ran = 0
        Set-VmmStubBehavior -CommandName Remove-SCVirtualMachine -ScriptBlock { $script:ran++ }
        Set-VmmStubBehavior -CommandName Remove-SCVMHost -ScriptBlock { $script:ran++ }
    }

    It 'records a -WhatIf call and does not run the behaviour' {
        Remove-SCVirtualMachine -VM (New-VmmStubObject VM @{ Name = 'vm01' }) -WhatIf
        $call = Get-VmmStubCall -CommandName Remove-SCVirtualMachine
        $call.WhatIf | Should -BeTrue
        $call.BoundParameters['VM'].Name | Should -Be 'vm01'
        $script:ran | Should -Be 0
    }

    It 'runs the behaviour without -WhatIf and with -WhatIf:$false' {
        Remove-SCVirtualMachine -VM (New-VmmStubObject VM @{ Name = 'vm01' })
        Remove-SCVirtualMachine -VM (New-VmmStubObject VM @{ Name = 'vm02' }) -WhatIf:$false
        @(Get-VmmStubCall).WhatIf | Should -Be @($false, $false)
        $script:ran | Should -Be 2
    }

    It 'takes -WhatIf from a calling function, as a compiled cmdlet does' {
        function Remove-TestHost {
            [CmdletBinding(SupportsShouldProcess = $true)]
            param($VMHost)
            Remove-SCVMHost -VMHost $VMHost -Force
        }
        Remove-TestHost -VMHost (New-VmmStubObject Host @{ Name = 'h1' }) -WhatIf
        (Get-VmmStubCall -CommandName Remove-SCVMHost).WhatIf | Should -BeTrue
        $script:ran | Should -Be 0
        Remove-TestHost -VMHost (New-VmmStubObject Host @{ Name = 'h1' })
        $script:ran | Should -Be 1
    }
}

Describe 'VMM stub behaviours' {
    BeforeEach { Reset-VmmStub }

    It 'returns what the behaviour outputs, given the recorded call' {
        Set-VmmStubBehavior -CommandName Get-SCVMHost -ScriptBlock {
            param($Call)
            New-VmmStubObject Host @{ Name = $Call.BoundParameters['ComputerName']; OverallState = 'NotResponding'; Set = $Call.ParameterSetName }
        }
        $vmHost = Get-SCVMHost -ComputerName 'h9'
        $vmHost.Name | Should -Be 'h9'
        $vmHost.OverallState | Should -Be 'NotResponding'
        $vmHost.Set | Should -Be 'Connection'
        $vmHost | Read-SCVMHost
        (Get-VmmStubCall -CommandName Read-SCVMHost).BoundParameters['VMHost'].Name | Should -Be 'h9'
    }

    It 'turns a throw into the stub''s terminating error and still records the call' {
        Set-VmmStubBehavior -CommandName Backup-SCVMMServer -ScriptBlock { throw 'Error (2912): the backup folder is not accessible.' }
        { Backup-SCVMMServer -Path 'D:\Backup' } | Should -Throw -ExpectedMessage '*Error (2912)*'
        @(Get-VmmStubCall -CommandName Backup-SCVMMServer).Count | Should -Be 1
    }

    It 'overrides the default Get-SCVMMServer behaviour until Reset-VmmStub' {
        Set-VmmStubBehavior -CommandName Get-SCVMMServer -ScriptBlock { throw 'cannot connect' }
        { Get-SCVMMServer vmm01 } | Should -Throw -ExpectedMessage 'cannot connect'
        Reset-VmmStub
        @(Get-VmmStubCall).Count | Should -Be 0
        (Get-SCVMMServer vmm01).Name | Should -Be 'vmm01'
    }

    It 'filters recorded calls by command, oldest first' {
        Get-SCVMMServer vmm01 | Out-Null
        Get-SCJob
        Get-SCVMMServer vmm02 | Out-Null
        @(Get-VmmStubCall -CommandName Get-SCVMMServer).BoundParameters.ComputerName | Should -Be @('vmm01', 'vmm02')
        @(Get-VmmStubCall).CommandName | Should -Be @('Get-SCVMMServer', 'Get-SCJob', 'Get-SCVMMServer')
        @(Get-VmmStubCall).Index | Should -Be @(0, 1, 2)
    }

    It 'rejects a behaviour for a command it does not stub' {
        { Set-VmmStubBehavior -CommandName Restore-SCVMMServer -ScriptBlock { } } | Should -Throw -ExpectedMessage '*not a stubbed VMM cmdlet*'
    }
}
