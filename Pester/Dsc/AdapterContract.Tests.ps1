<#
    The resources driven as DSC v3 drives them: a separate pwsh process per call, the instance's properties as
    JSON on standard input, `<Get|Set|Test|Export> -ResourceType VmmBackup/<Class>`, results as JSON lines on
    standard output, error traces on standard error, exit code 0 or 1 (Pester/Dsc/AdapterContract.ps1 speaks
    the contract of the PowerShell adapter, Microsoft.Adapter/PowerShell). The module is found by name on
    PSModulePath, as the adapter finds it; so are the VMM cmdlets (the stubs, scripted to list two library
    shares).
#>
BeforeAll {
    $script:Repo = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    Import-Module (Join-Path $script:Repo 'generated/VmmBackup/VmmBackup.psd1') -Force
    . (Join-Path $PSScriptRoot 'DscFixtures.ps1')
    # The pwsh DSC v3 starts: the project's (a dotnet tool, whose process is dotnet itself), else the one on PATH.
    $script:Pwsh = Join-Path $script:Repo '.tools/pwsh/pwsh'
    if (-not (Test-Path -LiteralPath $script:Pwsh -PathType Leaf)) { $script:Pwsh = (Get-Command -Name pwsh -CommandType Application | Select-Object -First 1).Source }
    $script:Contract = Join-Path $PSScriptRoot 'AdapterContract.ps1'

    # PSModulePath of the child processes: the module, and the VMM stubs listing two library shares.
    $script:Modules = Join-Path $TestDrive 'modules'
    $null = New-Item -ItemType Directory -Path $script:Modules
    Copy-Item -Path (Join-Path $script:Repo 'generated/VmmBackup') -Destination $script:Modules -Recurse
    Copy-Item -Path (Join-Path $script:Repo 'generated/stubs/VirtualMachineManager') -Destination $script:Modules -Recurse
    $stub = Join-Path $script:Modules 'VirtualMachineManager/VirtualMachineManager.psm1'
    Add-Content -LiteralPath $stub -Value @(
        '',
        "Set-VmmStubBehavior -CommandName Get-SCLibraryShare -ScriptBlock { New-VmmStubObject LibraryShare @{ Path = '\\lib01\MSSCVMMLibrary'; Name = 'MSSCVMMLibrary' }; New-VmmStubObject LibraryShare @{ Path = '\\lib02\Library'; Name = 'Library' } }"
    )

    function Invoke-Contract {
        # One call, as DSC v3 makes it; returns ExitCode, Output (parsed JSON lines), Errors (trace messages).
        param([string] $Operation, [string] $Resource, [string] $Json, [string] $WorkingDirectory = $TestDrive)
        $start = New-Object System.Diagnostics.ProcessStartInfo
        $start.FileName = $script:Pwsh
        foreach ($argument in @('-NoLogo', '-NonInteractive', '-NoProfile', '-ExecutionPolicy', 'Bypass', '-Command', ('$Input | & ''{0}'' {1} -ResourceType VmmBackup/{2}' -f $script:Contract.Replace("'", "''"), $Operation, $Resource))) {
            $start.ArgumentList.Add($argument)
        }
        $start.WorkingDirectory = $WorkingDirectory
        $start.RedirectStandardInput = $true
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.UseShellExecute = $false
        $start.Environment['PSModulePath'] = $script:Modules
        $process = [System.Diagnostics.Process]::Start($start)
        $process.StandardInput.Write($Json)
        $process.StandardInput.Close()
        $errorTask = $process.StandardError.ReadToEndAsync()
        $stdout = $process.StandardOutput.ReadToEnd()
        $process.WaitForExit()
        $stderr = $errorTask.Result
        [pscustomobject]@{
            ExitCode = $process.ExitCode
            Stdout   = $stdout
            Output   = @($stdout -split '\r?\n' | Where-Object { $_ } | ForEach-Object { $_ | ConvertFrom-Json })
            Errors   = @($stderr -split '\r?\n' | Where-Object { $_ -like '{"error"*' } | ForEach-Object { ($_ | ConvertFrom-Json).error })
            Warnings = @($stderr -split '\r?\n' | Where-Object { $_ -like '{"warn"*' } | ForEach-Object { ($_ | ConvertFrom-Json).warn })
        }
    }

    function ConvertTo-JsonString {
        param([string] $Text)
        ConvertTo-Json -InputObject $Text -Compress
    }
}

Describe 'The DSC v3 adapter contract' {
    BeforeEach {
        $script:Folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $script:Folder
    }

    Context 'VmmDatabaseBackup says Verified only on evidence' {
        It 'a 4-byte file holding "TAPE" is not verified' {
            [System.IO.File]::WriteAllText((Join-Path $script:Folder 'VirtualManagerDB_20260101_010101.bak'), 'TAPE')
            $result = Invoke-Contract Test VmmDatabaseBackup ('{"Path":' + (ConvertTo-JsonString $script:Folder) + '}')
            $result.ExitCode | Should -Be 0
            $result.Output[0].Verified | Should -BeFalse
            $result.Output[0]._inDesiredState | Should -BeFalse
            $result.Output[0].Reasons[0].Code | Should -Be 'VmmDatabaseBackup:VmmDatabaseBackup:Verified'
            $result.Output[0].Reasons[0].Phrase | Should -Match 'Unverified: .*has no verification record'
        }

        It 'a backup the cmdlet could not verify (no record) is not verified' {
            $null = New-TestDatabaseBackup -Folder $script:Folder -AgeHours 2
            $result = Invoke-Contract Get VmmDatabaseBackup ('{"Path":' + (ConvertTo-JsonString $script:Folder) + '}')
            $result.Output[0].Verified | Should -BeFalse
        }

        It 'a backup whose record names it with its size and SHA-256 is verified; MaxAgeHours stays the desired value' {
            $null = New-TestDatabaseBackup -Folder $script:Folder -AgeHours 5.2 -Verified
            $result = Invoke-Contract Test VmmDatabaseBackup ('{"Path":' + (ConvertTo-JsonString $script:Folder) + ',"MaxAgeHours":24}')
            $result.ExitCode | Should -Be 0
            $result.Output[0]._inDesiredState | Should -BeTrue
            $result.Output[0].Verified | Should -BeTrue
            $result.Output[0].MaxAgeHours | Should -Be 24
            $result.Output[0].AgeHours | Should -Be 6
        }
    }

    Context 'property values are what they claim to be' {
        It 'refuses a relative key path, and creates nothing in the working folder' {
            $work = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
            $null = New-Item -ItemType Directory -Path $work
            foreach ($operation in 'Test', 'Set') {
                $result = Invoke-Contract $operation VmmDatabaseBackup '{"Path":"rel"}' -WorkingDirectory $work
                $result.ExitCode | Should -Be 1
                $result.Errors[-1] | Should -Match "Path 'rel' is not an absolute path"
            }
            @(Get-ChildItem -LiteralPath $work -Force).Count | Should -Be 0
        }


        It 'refuses <Case>' -ForEach @(
            @{ Case = 'the string "false" for a boolean'; Resource = 'VmmRegistryBackup'; Json = '{"Path":"/srv/vmm/registry","IncludeSql":"false"}'; Message = "the property IncludeSql must be true or false (a boolean, not a string or a number); it was given 'false' (String)" }
            @{ Case = 'a number for a path'; Resource = 'VmmRegistryBackup'; Json = '{"Path":5}'; Message = "the property Path must be a string; it was given '5' (Int64)" }
            @{ Case = 'an array for a path'; Resource = 'VmmRegistryBackup'; Json = '{"Path":["/srv/a","/srv/b"]}'; Message = 'the property Path must be a string; it was given an array' }
            @{ Case = 'a string for the SqlCredential'; Resource = 'VmmDatabaseBackup'; Json = '{"Path":"/srv/vmm/database","SqlCredential":"sa"}'; Message = 'the property SqlCredential must be a credential' }
        ) {
            $result = Invoke-Contract Test $Resource $Json
            $result.ExitCode | Should -Be 1
            $result.Stdout | Should -BeNullOrEmpty
            $result.Errors[-1] | Should -BeLike "*$Message*"
        }

        It 'takes the SqlCredential as the adapter passes it, and never returns it' {
            $null = New-TestDatabaseBackup -Folder $script:Folder -Verified
            $result = Invoke-Contract Get VmmDatabaseBackup ('{"Path":' + (ConvertTo-JsonString $script:Folder) + ',"SqlCredential":{"username":"vmmbackup","password":"S3cret!x"}}')
            $result.ExitCode | Should -Be 0
            $result.Output[0].PSObject.Properties.Name | Should -Contain 'SqlCredential'
            $result.Output[0].SqlCredential | Should -BeNullOrEmpty
            $result.Stdout | Should -Not -Match 'vmmbackup|S3cret'
        }
    }

    Context 'VmmBackupPlan reaches the desired state only when every backup exists and is fresh' {
        It 'is not in the desired state with only database, registry and library backups under its destination' {
            $null = New-TestDatabaseBackup -Folder (Join-Path $script:Folder 'Database') -Verified
            $null = New-TestRegistryExport -Path (Join-Path $script:Folder 'Registry/VmmSettings_20260101_010101.reg')
            $null = New-TestLibrarySet -Destination (Join-Path $script:Folder 'Library')
            $result = Invoke-Contract Test VmmBackupPlan ('{"Destination":' + (ConvertTo-JsonString $script:Folder) + '}')
            $result.ExitCode | Should -Be 0
            $result.Output[0]._inDesiredState | Should -BeFalse
            @($result.Output[0].OutOfDate) | Should -Contain 'backup.inventory'
            @($result.Output[0].OutOfDate) | Should -Contain 'backup.vm-configuration'
        }

        It 'Set exits non-zero, naming the failed items, when the backups fail' {
            # Nothing here can back up VMM (no VMM server answers, no SQL Server, no registry), so every item fails.
            $result = Invoke-Contract Set VmmBackupPlan ('{"Destination":' + (ConvertTo-JsonString $script:Folder) + '}')
            $result.ExitCode | Should -Be 1
            $result.Stdout | Should -BeNullOrEmpty
            $result.Errors[-1] | Should -Match 'VmmBackupPlan: Invoke-VmmBackup ran, but \d+ item\(s\) failed: backup\.database \(The database backup was not verified'
            # The run itself is on disk, recorded as failed.
            $manifest = Get-ChildItem -Path $script:Folder -Filter 'backup-set.json' -Recurse | Select-Object -First 1
            $manifest | Should -Not -BeNullOrEmpty
            ((Get-Content -Raw $manifest.FullName | ConvertFrom-Json).Items | Where-Object Id -EQ 'backup.database').State | Should -Be 'Failed'
        }
    }

    Context 'Export' {
        It 'VmmLibraryBackup exports one instance per library share VMM lists' {
            $result = Invoke-Contract Export VmmLibraryBackup '{}'
            $result.ExitCode | Should -Be 0
            $result.Output.Count | Should -Be 2
            @($result.Output | ForEach-Object { $_.Path[0] }) | Should -Be @('\\lib01\MSSCVMMLibrary', '\\lib02\Library')
        }

        It 'VmmLibraryBackup with a Destination exports each share with a destination of its own and its state there' {
            $result = Invoke-Contract Export VmmLibraryBackup ('{"Destination":' + (ConvertTo-JsonString $script:Folder) + '}')
            $result.ExitCode | Should -Be 0
            @($result.Output | ForEach-Object { $_.Destination }) | Should -Be @((Join-Path $script:Folder 'lib01_MSSCVMMLibrary'), (Join-Path $script:Folder 'lib02_Library'))
            @($result.Output | ForEach-Object { $_.Reasons[0].Code }) | Should -Be @('VmmLibraryBackup:VmmLibraryBackup:Destination', 'VmmLibraryBackup:VmmLibraryBackup:Destination')
        }

        It 'VmmBackupPlan exports the plan in force under a Destination, and says what it needs without one' {
            $run = New-TestPlanRun -Destination $script:Folder
            $null = New-TestLibrarySet -Destination (Join-Path $script:Folder 'library')
            $result = Invoke-Contract Export VmmBackupPlan ('{"Destination":' + (ConvertTo-JsonString $script:Folder) + '}')
            $result.ExitCode | Should -Be 0
            $result.Output.Count | Should -Be 1
            $result.Output[0].Destination | Should -Be $script:Folder
            @($result.Output[0].OutOfDate).Count | Should -Be 0
            $none = Invoke-Contract Export VmmBackupPlan '{}'
            $none.ExitCode | Should -Be 1
            $none.Errors[-1] | Should -Match 'give Destination in the filter'
        }

        It 'the manifests declare export only for the resources that implement it' {
            foreach ($name in 'VmmDatabaseBackup', 'VmmRegistryBackup', 'VmmLibraryBackup', 'VmmBackupPlan') {
                $manifest = Get-Content -Raw (Join-Path $script:Repo "generated/VmmBackup/$name.dsc.adaptedResource.json") | ConvertFrom-Json
                $type = & (Get-Module VmmBackup) { param($Name) $Name -as [type] } $name
                $hasExport = @($type.GetMethods() | Where-Object { $_.Name -eq 'Export' -and $_.IsStatic }).Count -gt 0
                ($manifest.capabilities -contains 'export') | Should -Be $hasExport -Because $name
            }
        }
    }
}
